"""toolbox: forms and documents for cooperation between health services and self-help.

The application factory is `toolbox.app.create_app`; each area is a package (see README,
"Architecture"). Importing this package does nothing else.
"""

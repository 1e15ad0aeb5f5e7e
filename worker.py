"""Entry point for `celery -A worker worker`."""

from toolbox import create_app
from toolbox.documents.render import get_renderer

flask_app = create_app()
celery_app = flask_app.extensions["celery"]
# Warm up before the pool forks: fonts, CSS and templates are loaded once, not per job.
get_renderer(flask_app.config["TOOLBOX_TEMPLATES_DIR"])

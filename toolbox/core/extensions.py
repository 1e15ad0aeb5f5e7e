"""Unbound extension objects. Import them from here, never from the package root."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase

import toolbox.core.ratelimits  # noqa: F401 - registers the toolbox+sqlite:// limiter storage


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
# Storage comes from RATELIMIT_STORAGE_URI (config: TOOLBOX_RATELIMIT_STORAGE_URL); the
# embedded default's shared file storage is registered by importing toolbox.core.ratelimits.
limiter = Limiter(key_func=get_remote_address)
# The UI language (German default, English): set up in toolbox.core.i18n.
babel = Babel()

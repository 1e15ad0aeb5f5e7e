"""Entry point for `celery -A worker worker`."""

from toolbox.app import create_app
from toolbox.documents.render import get_renderer, warm_up
from toolbox.instruments.registry import INSTRUMENTS

flask_app = create_app({"TOOLBOX_PROCESS": "worker"})
celery_app = flask_app.extensions["celery"]
# Warm up before the pool forks: fonts, CSS, templates and WeasyPrint itself are loaded
# once in the parent, and every pool process (also after a recycle) starts warm.
warm_up(get_renderer(flask_app.config["TOOLBOX_TEMPLATES_DIR"]), INSTRUMENTS.values())

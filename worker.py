"""Entry point for `celery -A worker worker`."""

from toolbox.app import create_app
from toolbox.jobs.warm import warm_parent, warm_pool_processes

flask_app = create_app({"TOOLBOX_PROCESS": "worker"})
celery_app = flask_app.extensions["celery"]
# Warm up before the pool forks: fonts, CSS, templates, the ORM and WeasyPrint itself are
# loaded once in the parent; then every pool process (also after a recycle) renders one
# throw-away document before it takes a job (toolbox/jobs/warm.py, issue 20).
warm_parent(flask_app.config["TOOLBOX_TEMPLATES_DIR"])
warm_pool_processes(flask_app.config["TOOLBOX_TEMPLATES_DIR"])

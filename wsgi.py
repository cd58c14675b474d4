"""gunicorn entry point: ``gunicorn wsgi:app``. Migrations run before, never here."""

from app import create_app

app = create_app()

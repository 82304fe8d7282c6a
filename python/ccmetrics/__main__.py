from ccmetrics.cli import app

app()

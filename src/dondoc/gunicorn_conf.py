"""gunicorn settings for dondoc (`gunicorn -c python:dondoc.gunicorn_conf dondoc.wsgi:application`, and `dondoc run`).

No control socket: gunicorn's default is one path per user (~/.gunicorn/gunicorn.ctl), so two instances on one
machine would overwrite each other's; dondoc needs none (signals reload and stop it)."""

control_socket_disable = True
accesslog = "-"
graceful_timeout = 5

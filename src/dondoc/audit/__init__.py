"""The audit trail: `record()` is called by every action that changes something."""


def record(*args, **kwargs):
    from dondoc.audit.recorder import record as _record

    return _record(*args, **kwargs)


def downloaded(request, obj, kind: str, name: str = ""):
    """A report, evidence file or export taken out of the system: who, what, which file (one event each)."""
    return record("file.downloaded", obj=obj, request=request, changes={"kind": kind, "file": name})

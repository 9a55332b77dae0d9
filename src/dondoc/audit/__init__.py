"""The audit trail: `record()` is called by every action that changes something."""


def record(*args, **kwargs):
    from dondoc.audit.recorder import record as _record

    return _record(*args, **kwargs)

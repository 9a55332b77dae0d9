"""dondoc: theo dõi, đôn đốc thực hiện kế hoạch — follow-up of government plans."""

__version__ = "0.1.0"

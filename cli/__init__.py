"""The ``kg`` command line: click commands only; all logic lives in :mod:`kg`."""

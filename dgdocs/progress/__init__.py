"""The quarterly evaluation cycle of chapter VI: progress data, the Excel 照会票 out and back.

``content/progress/<quarter>.yaml`` (one file per evaluation, e.g. ``2021Q1.yaml``) holds what
the divisions reported: per appendix task and milestone a status, a comment and (for 見直し)
the new period; per KPI the actual values.  The appendices stay the plan and are never
rewritten.  Modules, in the order of the flow:

- :mod:`.quarter` — the evaluated quarter (the appendices' period grammar, :mod:`dgdocs.periods`);
- :mod:`dgdocs.load.progress` — reads and validates the progress files into the model (one of the
  loaders, called by ``load()``);
- :mod:`.status` — pure questions about the model: the effective status and period of a task,
  the previous evaluation, a KPI's series of actuals (used by the checks, the sheet and the chart);
- :mod:`.dump` — writes a progress file deterministically;
- :mod:`.sheet` — writes the 照会票 workbook (``dgdocs progress sheet``);
- :mod:`.workbook` / :mod:`.answers` — read the returned workbooks back, cell by cell, and merge
  them into an evaluation (``dgdocs progress import``).

Nothing here writes into ``content/`` except :func:`.cli.cmd_import` with ``--write``.
"""

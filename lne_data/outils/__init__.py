"""The roadmap written for the State's tools and for open data (README « Exports »), at the figure step: each writer
reads through the read models (`views`, `queries`), never SQL or the database itself, and gives a file's bytes.

- `tet`: Territoires en Transitions, its plan-import workbook (`plan`) and its indicators' yearly export
  (`indicateurs`).
"""

"""The names the standards offer as choices (file formats, CTDC schemas, date orders).

They live apart from the modules that do the work so that the command line can offer them
in its options without loading those modules (and babel, openpyxl...) on every start.
"""

from __future__ import annotations

CSV = "csv"
XLSX = "xlsx"
CTDC_GLOBAL = "global"
CTDC_SYNTHETIC = "synthetic"
CTDC_SCHEMAS = (CTDC_GLOBAL, CTDC_SYNTHETIC)
DATE_ORDERS = ("iso", "dmy", "mdy")

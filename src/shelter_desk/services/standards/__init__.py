"""Data standards: IOM's HTCDS 2.0 (fields, import, export) and the CTDC dataset.

``htcds_fields`` holds the column table, ``htcds_import`` the import of HTCDS spreadsheets
(CSV or XLSX, IOM's template or a KoBo/ODK export of IOM's XLSForm), ``readers`` turns a
file's bytes into a header and rows, ``aliases`` maps the spellings found in the wild to
the column names.
"""

"""The HTML report a municipality can put in front of a committee, in Danish or English."""

from som_mc.present.report.build import ReportData, compute_report_data, render_report, write_report

__all__ = ["ReportData", "compute_report_data", "render_report", "write_report"]

"""Reading a case from its fill-in workbook (the writing end is in som_mc.present.workbook)."""

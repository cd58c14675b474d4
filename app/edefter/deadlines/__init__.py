"""Berat deadlines (SPEC D6, GIB-FORMATS §9): when a period's berats and DR are due, and when its secondary copy is."""

from app.edefter.deadlines.rules import Deadline, Extension, berat_deadline, fixed_holidays, next_working_day

__all__ = ["Deadline", "Extension", "berat_deadline", "fixed_holidays", "next_working_day"]

"""Tracking: the 项目跟踪表, calendars and reminders."""

"""Departments (部门) and service halls (政务服务大厅) with their USCC and region, and staff
membership with roles scoped by department. ``require_role`` is the one permission check that
services call."""

"""The programme's events (#29): recruitment events, info sessions, seminars … and who came, as
counts only — recorded by the coordinators of their own area, counted in the programme report."""

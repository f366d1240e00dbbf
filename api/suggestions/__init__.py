"""Matching: a person's tasks, a task's candidates, why not, the comparison, the composers
and open vacancies; every answer stored as a suggestion with its versions."""

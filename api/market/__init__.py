"""The whole pool: batch runs and their nightly schedule, what changed for a person or an
employer's tasks, what-if, hand-over options and the week's clearing."""

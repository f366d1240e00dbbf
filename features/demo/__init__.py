"""A seeded, deterministic demo world (employers, tasks, jobseekers, history)."""

from features.demo.world import AS_OF, SIZES, TABLE_ORDER, World, WorldSize, build_world

__all__ = ["AS_OF", "SIZES", "TABLE_ORDER", "World", "WorldSize", "build_world"]

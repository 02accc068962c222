"""The static site: every map, team, persona, pain point and finding, for people who never
open a YAML file."""

-- A report entry is looked up by its item (its history, a unit's items):
-- the item first. Led by the kind, the index drew SQLite's planner into
-- reading every plan's entries of a kind rather than the forms asked for.
DROP INDEX report_entries_item;
CREATE INDEX report_entries_item ON report_entries (item_id, kind);

-- A rule's cause names the unit answering for its item: one task may be
-- reported by more than one unit (each county's office reports a task that
-- names "各县（市）人民政府"), and each unit lagging is a cause of its own.
-- The items the rules opened before carry their lead unit, the unit of
-- their cause, in the key from now on.
UPDATE supervision_items SET cause = cause || ':' || lead_unit
    WHERE cause IS NOT NULL AND item_kind IN ('task', 'project', 'target');
UPDATE supervision_items SET open_cause = open_cause || ':' || lead_unit
    WHERE open_cause IS NOT NULL AND item_kind IN ('task', 'project', 'target');

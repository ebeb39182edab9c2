-- One whole table for the analysts' extracts (its qualified name as the parameter, from
-- the list in flows/render/extraits.py), sorted so that two runs write the same bytes.
select *
from query_table($table)
order by all

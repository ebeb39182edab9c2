-- Whether $schema.$table exists (the learning stage's tables may not, yet), and has the
-- column $colonne when one is given (NULL: any column).
select count(*) > 0 as existe
from information_schema.columns
where
    table_schema = $schema
    and table_name = $table
    and (column_name = $colonne or $colonne is null)

-- Values that DuckDB hands over as text (a VARCHAR field of json_transform) although the
-- JSON holds another type whose Python str() differs from that text: a boolean (True /
-- true), an object or a list, a number that is not a plain integer (1.50 / 1.5). The bulk
-- loader sends a file holding one to the Python loader, which reads it exactly
-- (flows/sources/offres_ft_masse.py; property test in tests/test_performance_macros.py).
-- Each starts with a test of the first character (t, f, -, {, [ or a digit), which most
-- texts fail at once.

-- Shared by the three below: a boolean, an object or a list, or a JSON number for which
-- ``nombre_ambigu`` (an expression on the same text) holds.
create or replace temp macro valeur_ambigue(texte, nombre_ambigu) as
case
    when ascii(texte) in (116, 102, 45, 123, 91) or ascii(texte) between 48 and 57
        then
            texte in ('true', 'false', '-0')
            or (left(texte, 1) in ('{', '[') and json_valid(texte))
            or (
                regexp_full_match(texte, '-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?')
                and nombre_ambigu
            )
    else false
end;

-- In a field the API fills with text.
create or replace temp macro texte_ambigu(texte) as
valeur_ambigue(texte, not regexp_full_match(texte, '-?(0|[1-9][0-9]*)'));

-- In a field the API fills with a boolean (lire_booleen reads true and "true" alike).
create or replace temp macro booleen_ambigu(texte) as
texte not in ('true', 'false') and texte_ambigu(texte);

-- In a field the API fills with a decimal (lire_decimal reads 45.10 and "45.10" alike,
-- but an overflowing number is infinite for Python and keeps its digits here).
create or replace temp macro decimal_ambigu(texte) as
valeur_ambigue(texte, isinf(try_cast(texte as double)));

-- The France Travail API's own timestamp form (2025-08-05T10:54:44.934Z), read in SQL as
-- flows.lecture.valeurs.lire_horodatage reads it: the offset is dropped, the wall-clock
-- time kept. Any other text gives NULL and is read by the Python parser itself;
-- tests/test_performance_macros.py checks that both agree on every text this accepts.
create or replace temp macro horodatage_api(texte) as
case
    when
        left(texte, 4) != '0000'
        and regexp_full_match(
            texte,
            '[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?'
        )
        then try_cast(regexp_replace(texte, '(Z|[+-][0-9]{2}:[0-9]{2})$', '') as timestamp)
end;

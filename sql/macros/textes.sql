-- SQL helpers of the bulk France Travail loader (flows/sources/offres_ft_masse.py). They
-- mirror Python's notion of blank text (str.isspace): each has a test comparing it with
-- Python on every Unicode code point (tests/test_performance_macros.py).

-- Python's vide(): no value, or only whitespace.
create or replace temp macro vide(texte) as
texte is null
or regexp_full_match(
    texte, '[\t\n\x0b\f\r\x1c-\x1f \x85\xa0\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]*'
);

-- Python's str.strip().
create or replace temp macro sans_espaces(texte) as
regexp_replace(
    texte,
    '^[\t\n\x0b\f\r\x1c-\x1f \x85\xa0\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]+|[\t\n\x0b\f\r\x1c-\x1f \x85\xa0\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]+$',
    '',
    'g'
);

-- True for every text in which flows.confidentialite.masquer_coordonnees may find an
-- e-mail address (it needs an "@") or a phone number (a digit 1-9 then four pairs of
-- digits, each pair after at most one separator): only those texts are sent to Python.
create or replace temp macro peut_contenir_coordonnees(texte) as
contains(texte, '@')
or regexp_matches(
    texte,
    '[1-9](?s:.)?[\pN\x{10000}-\x{10ffff}]{2}(?s:.)?[\pN\x{10000}-\x{10ffff}]{2}(?s:.)?[\pN\x{10000}-\x{10ffff}]{2}(?s:.)?[\pN\x{10000}-\x{10ffff}]{2}'
);

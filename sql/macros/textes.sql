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

-- A place name written in capitals by its source (« CLERMONT FERRAND », « LONS LE
-- SAUNIER ») in the usual case (« Clermont Ferrand », « Lons le Saunier »); a name already
-- in mixed case is kept as it is. Each word (and each part of a hyphenated word) takes a
-- capital, except the small words of French place names; the name's first letter always does.
create or replace temp macro mot_propre(mot) as
case
    when mot in ('de', 'du', 'des', 'la', 'le', 'les', 'en', 'sur', 'sous', 'et', 'l', 'd', 'aux', 'au', 'lès')
        then mot
    when regexp_matches(mot, '^[ld]''.') then left(mot, 2) || upper(substr(mot, 3, 1)) || substr(mot, 4)
    else upper(left(mot, 1)) || substr(mot, 2)
end;

create or replace temp macro nom_propre(texte) as
case
    when texte = upper(texte)
        then upper(left(texte, 1)) || substr(
            array_to_string(
                list_transform(
                    string_split(lower(texte), ' '),
                    lambda mot: array_to_string(list_transform(string_split(mot, '-'), lambda p: mot_propre(p)), '-')
                ),
                ' '
            ),
            2
        )
    else texte
end;

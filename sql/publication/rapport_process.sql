-- One company's process indicators per v3 occupation over the whole period.
select *
from "analyse".process_entreprise
where entreprise = $entreprise and type_periode = 'ensemble'
order by recrutements desc, rome_code_parent asc

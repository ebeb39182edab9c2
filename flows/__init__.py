"""Pipeline d'analyse des tensions de recrutement du Hub emplois et compétences des
industries de santé (Dijon, Bourgogne-Franche-Comté)."""

"""scikit-learn models of the learning flow (flows/learning.py): ROME classification
(rome.py), cross-source duplicates (doublons.py), drivers of hiring difficulty
(difficulte.py); communs.py holds what they share."""

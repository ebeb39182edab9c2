"""scikit-learn models of the learning stage (flows/learning.py): ROME classification
(rome.py), cross-source duplicates (doublons.py), drivers of hiring difficulty
(difficulte.py); etapes.py runs each on the warehouse, cartes.py holds the French texts
and model cards, communs.py what they share."""

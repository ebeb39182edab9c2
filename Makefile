# Deux commandes suffisent sur une machine neuve avec Python 3.11 et make :
#   make demo   installe puis exécute tout le pipeline sur les données fictives
#   make test   installe puis lance les tests
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLE := $(VENV)/.installe
ECHELLE ?=

.PHONY: installer demo test bench nettoyer

$(INSTALLE): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(INSTALLE)

installer: $(INSTALLE)

demo: $(INSTALLE)
	$(BIN)/python -m flows demo

test: $(INSTALLE)
	$(BIN)/ruff check flows tests bench
	$(BIN)/mypy flows
	$(BIN)/vulture
	$(BIN)/sqlfluff lint sql/ --disable-progress-bar
	$(BIN)/pytest

bench: $(INSTALLE)
	$(BIN)/python bench/mesurer.py $(if $(ECHELLE),--echelles $(ECHELLE),)

nettoyer:
	rm -rf sorties/demo donnees/demo/* donnees/entrepot.duckdb donnees/entrepot.duckdb.wal donnees/modeles-ml/entrepot

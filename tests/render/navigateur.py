"""Headless Chromium driven through its DevTools protocol (the ``websockets`` package that
Prefect already installs): open a file, collect console errors, run a script, take a
screenshot. No Playwright nor Selenium."""

from __future__ import annotations

import base64
import json
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from websockets.sync.client import connect


class Navigateur:
    def __init__(self, chromium: str, profil: Path, largeur: int = 1400, hauteur: int = 1000):
        profil.mkdir(parents=True, exist_ok=True)
        self.processus = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profil}", "--remote-debugging-port=0", f"--window-size={largeur},{hauteur}",
             "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port, chemin = self._adresse(profil / "DevToolsActivePort")
        self.socket = connect(f"ws://127.0.0.1:{port}{chemin}", max_size=None, open_timeout=20)
        self.numero = 0
        self.evenements: list[dict] = []
        cible = self.commande("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.commande("Target.attachToTarget", {"targetId": cible, "flatten": True})["sessionId"]
        for domaine in ("Page", "Runtime", "Log"):
            self.commande(f"{domaine}.enable", page=True)
        self.commande("Emulation.setDeviceMetricsOverride", {"width": largeur, "height": hauteur,
                                                             "deviceScaleFactor": 1, "mobile": False}, page=True)

    def _adresse(self, fichier: Path, delai: float = 20) -> tuple[str, str]:
        echeance = time.monotonic() + delai
        while time.monotonic() < echeance:
            if fichier.exists() and len(lignes := fichier.read_text().split()) >= 2:
                return lignes[0], lignes[1]
            if self.processus.poll() is not None:
                raise RuntimeError(f"Chromium s'est arrêté (code {self.processus.returncode})")
            time.sleep(0.05)
        raise TimeoutError("Chromium n'a pas ouvert son port DevTools")

    def __enter__(self) -> Navigateur:
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.socket.close()
        finally:
            self.processus.terminate()
            try:
                self.processus.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.processus.kill()

    def _recevoir(self, delai: float) -> dict:
        return json.loads(self.socket.recv(timeout=delai))

    def commande(self, methode: str, parametres: dict | None = None, page: bool = False, delai: float = 60) -> dict:
        self.numero += 1
        message: dict = {"id": self.numero, "method": methode, "params": parametres or {}}
        if page:
            message["sessionId"] = self.session
        self.socket.send(json.dumps(message))
        while True:
            reponse = self._recevoir(delai)
            if reponse.get("id") == self.numero:
                if "error" in reponse:
                    raise RuntimeError(f"{methode} : {reponse['error']}")
                return reponse["result"]
            self.evenements.append(reponse)

    def attendre(self, condition: Callable[[dict], bool], delai: float = 30) -> dict:
        for evenement in self.evenements:
            if condition(evenement):
                return evenement
        echeance = time.monotonic() + delai
        while time.monotonic() < echeance:
            evenement = self._recevoir(max(echeance - time.monotonic(), 0.01))
            self.evenements.append(evenement)
            if condition(evenement):
                return evenement
        raise TimeoutError("événement attendu non reçu")

    def ouvrir(self, fichier: Path) -> None:
        self.evenements.clear()
        self.commande("Page.navigate", {"url": fichier.resolve().as_uri()}, page=True)
        self.attendre(lambda e: e.get("method") == "Page.loadEventFired")

    def evaluer(self, expression: str):
        resultat = self.commande("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                      "awaitPromise": True}, page=True)
        if "exceptionDetails" in resultat:
            raise RuntimeError(f"erreur JavaScript : {resultat['exceptionDetails']}")
        return resultat["result"].get("value")

    def attendre_que(self, expression: str, delai: float = 20) -> float:
        """Poll a JavaScript condition; returns the seconds it took."""
        debut = time.monotonic()
        while time.monotonic() - debut < delai:
            if self.evaluer(expression):
                return time.monotonic() - debut
            time.sleep(0.05)
        raise TimeoutError(f"condition jamais vraie : {expression}")

    def erreurs(self) -> list[str]:
        """Console errors and uncaught exceptions since the page was opened."""
        trouvees = []
        for e in self.evenements:
            methode, p = e.get("method"), e.get("params", {})
            if methode == "Runtime.exceptionThrown":
                details = p["exceptionDetails"]
                trouvees.append(details.get("exception", {}).get("description") or details.get("text", ""))
            elif methode == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                trouvees.append(" ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
            elif methode == "Log.entryAdded" and p["entry"].get("level") == "error":
                trouvees.append(f"{p['entry'].get('text')} ({p['entry'].get('url', '')})")
        return trouvees

    def capture(self, chemin: Path, pleine_page: bool = False) -> Path:
        parametres: dict = {"format": "png"}
        if pleine_page:
            largeur, hauteur = self.evaluer("[document.documentElement.scrollWidth, "
                                            "document.documentElement.scrollHeight]")
            parametres |= {"captureBeyondViewport": True,
                           "clip": {"x": 0, "y": 0, "width": largeur, "height": hauteur, "scale": 1}}
        donnees = self.commande("Page.captureScreenshot", parametres, page=True)["data"]
        chemin.parent.mkdir(parents=True, exist_ok=True)
        chemin.write_bytes(base64.b64decode(donnees))
        return chemin

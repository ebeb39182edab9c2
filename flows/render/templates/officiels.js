// Official figures and our own indicators for the chosen territory (and occupation): the
// rows are in <script id="donnees-officielles"> (see tableau_de_bord.officiels), drawn here
// as three tables each time a filter changes. Numbers and shares are written in French.
(function () {
  "use strict";
  var donnees = JSON.parse(document.getElementById("donnees-officielles").textContent);
  var entier = new Intl.NumberFormat("fr-FR", {maximumFractionDigits: 0});
  var decimal = new Intl.NumberFormat("fr-FR", {minimumFractionDigits: 2, maximumFractionDigits: 2});
  var unDecimal = new Intl.NumberFormat("fr-FR", {minimumFractionDigits: 1, maximumFractionDigits: 1});
  var TABLES = [
    {cle: "metiers", titre: "Nos indicateurs par métier (ROME), année la plus récente",
     vide: "Aucune offre ni aucun demandeur chargé pour ce territoire : nos indicateurs par métier ne s'y calculent pas.",
     colonnes: ["Métier", "Année", "Offres détenues", "Demandeurs (cat. A)", "Projets BMO", "Part BMO jugée difficile",
                "Score de tension (niveau)", "Composantes utilisées"],
     numeriques: [2, 3, 4, 5, 6],
     ligne: function (r) {
       return [donnees.libelles[r[0]], r[2], nombre(r[3]), nombre(r[4]), nombre(r[5]), part(r[6]),
               r[7] === null ? "—" : decimal.format(r[7]) + " (" + r[8] + ")", r[9]];
     }},
    {cle: "dares", titre: "Indicateur de tension publié par la DARES, par famille professionnelle (FAP-2009)",
     vide: "Aucun indicateur DARES chargé pour ce territoire (la DARES publie départements et régions).",
     colonnes: ["Famille professionnelle", "Année", "Score DARES", "Niveau (1 à 5)"], numeriques: [2, 3],
     tri: function (a, b) { return b[2] - a[2]; },
     ligne: function (r) { return [donnees.libelles[r[0]], r[4], decimal.format(r[2]), r[3] === null ? "—" : r[3]]; }},
    {cle: "bmo", titre: "Enquête Besoins en Main-d'Œuvre : projets de recrutement jugés difficiles (métiers BMO, FAP-2021)",
     vide: "Aucun chiffre de l'enquête BMO chargé pour ce territoire.",
     colonnes: ["Métier BMO", "Enquête", "Projets de recrutement", "Jugés difficiles", "Part jugée difficile"],
     numeriques: [2, 3, 4],
     tri: function (a, b) { return b[2] - a[2]; },
     ligne: function (r) { return [donnees.libelles[r[0]], r[5], nombre(r[2]), nombre(r[3]), part(r[4])]; }}
  ];

  function nombre(v) { return v === null ? "—" : entier.format(v); }
  function part(v) { return v === null ? "—" : unDecimal.format(100 * v) + "\u202f%"; }

  function choix(nom) {
    var s = document.querySelector("select.filtre[name=" + nom + "]");
    return s ? s.value : "tous";
  }

  function cellule(ligne, texte, numerique) {
    var td = document.createElement("td");
    td.textContent = texte === null || texte === undefined ? "—" : String(texte);
    if (numerique) { td.className = "nombre"; }
    ligne.appendChild(td);
  }

  function dessiner() {
    var territoire = donnees.territoires.indexOf(choix("territoire"));
    var metier = choix("metier");
    var conteneur = document.getElementById("officiels");
    conteneur.textContent = "";
    TABLES.forEach(function (t) {
      var lignes = donnees[t.cle].filter(function (r) {
        return r[1] === territoire && (t.cle !== "metiers" || metier === "tous" || donnees.codes[r[0]] === metier);
      });
      if (t.tri) { lignes = lignes.slice().sort(t.tri); }
      var bloc = document.createElement("div");
      bloc.className = "officiel";
      bloc.dataset.source = t.cle;
      var titre = document.createElement("h4");
      titre.textContent = t.titre + " (" + entier.format(lignes.length) + ")";
      bloc.appendChild(titre);
      if (!lignes.length) {
        var p = document.createElement("p");
        p.className = "note";
        p.textContent = t.vide;
        bloc.appendChild(p);
      } else {
        var defile = document.createElement("div");
        defile.className = "defilant";
        var table = document.createElement("table");
        var entete = table.createTHead().insertRow();
        t.colonnes.forEach(function (c, i) {
          var th = document.createElement("th");
          th.textContent = c;
          if (t.numeriques.indexOf(i) >= 0) { th.className = "nombre"; }
          entete.appendChild(th);
        });
        var corps = table.createTBody();
        lignes.forEach(function (r) {
          var ligne = corps.insertRow();
          t.ligne(r).forEach(function (v, i) { cellule(ligne, v, t.numeriques.indexOf(i) >= 0); });
        });
        defile.appendChild(table);
        bloc.appendChild(defile);
      }
      conteneur.appendChild(bloc);
    });
  }

  document.querySelectorAll("select.filtre").forEach(function (s) { s.addEventListener("change", dessiner); });
  dessiner();
})();

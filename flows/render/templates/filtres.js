// Filters of the dashboard. Each <select class="filtre"> names a dimension (metier,
// territoire, periode). A chart trace shows when its meta.filtre lists the chosen value of
// each dimension it names; its points are kept when meta.points lists it for that point;
// a table row (or any element marked data-filtrable) shows when its data-<dimension> attribute (values separated by spaces)
// holds it. A chart whose layout.meta.axe_temps is set zooms on the chosen year; one whose
// layout.meta.lignes is set ({base, ligne} in px, at least {min} rows: room for the y-axis
// title) takes the height of the rows it shows.
(function () {
  "use strict";
  var ORIGINES = new WeakMap();
  var ATTRIBUTS = ["x", "y", "text", "customdata", "hovertext"];

  function choix() {
    var selection = {};
    document.querySelectorAll("select.filtre").forEach(function (s) { selection[s.name] = s.value; });
    return selection;
  }

  function retenu(cles, selection) {
    return Object.keys(cles).every(function (dim) {
      return !(dim in selection) || cles[dim].indexOf(selection[dim]) >= 0;
    });
  }

  // whether a visible trace draws anything: a legend-only trace has [null] values
  function dessine(trace) {
    if (trace.visible === false) { return false; }
    var valeurs = trace.x || trace.y || trace.z;
    if (!Array.isArray(valeurs)) { return taille(valeurs) > 0; }
    return valeurs.some(function (v) { return v !== null && v !== undefined; });
  }

  function taille(valeur) {
    if (Array.isArray(valeur) || ArrayBuffer.isView(valeur)) { return valeur.length; }
    return valeur ? 1 : 0;  // a typed-array spec: not sliced, counted as present
  }

  function filtrer(trace, selection) {
    var meta = trace.meta || {};
    var copie = Object.assign({}, trace);
    copie.visible = !meta.filtre || retenu(meta.filtre, selection);
    var points = copie.visible ? taille(trace.x || trace.y || trace.z) : 0;
    if (copie.visible && meta.points) {
      var dims = Object.keys(meta.points);
      var gardes = [];
      for (var i = 0; i < points; i++) {
        var cles = {};
        dims.forEach(function (d) { cles[d] = meta.points[d][i]; });
        if (retenu(cles, selection)) { gardes.push(i); }
      }
      var extraire = function (tableau) { return gardes.map(function (i) { return tableau[i]; }); };
      ATTRIBUTS.forEach(function (a) { if (Array.isArray(trace[a])) { copie[a] = extraire(trace[a]); } });
      if (trace.marker) {
        copie.marker = Object.assign({}, trace.marker);
        ["size", "color"].forEach(function (a) {
          if (Array.isArray(trace.marker[a])) { copie.marker[a] = extraire(trace.marker[a]); }
        });
      }
      points = gardes.length;
    }
    return {trace: copie, points: points};
  }

  // the distinct categories of the y axis that the visible traces draw
  function lignesVisibles(donnees, minimum) {
    var vues = new Set();
    donnees.forEach(function (t) {
      if (t.visible !== false && Array.isArray(t.y)) { t.y.forEach(function (v) { vues.add(v); }); }
    });
    return Math.max(minimum || 1, vues.size);
  }

  // A chart that shows nothing for the selection gives its place to its note: no empty
  // frame with meaningless ticks (its box shows again, redrawn, when a selection fills it).
  function marquerVide(gd, rempli) {
    var figure = gd.closest("figure");
    var vide = figure && figure.querySelector(".vide");
    if (vide) { vide.hidden = rempli; }
    var boite = gd.parentElement;
    if (boite.hidden && rempli) { boite.hidden = false; Plotly.Plots.resize(gd); }
    else { boite.hidden = !rempli; }
  }

  function appliquer(initial) {
    var selection = choix();
    document.querySelectorAll(".js-plotly-plot").forEach(function (gd) {
      // The page is written with the traces of the initial values visible: at load, only
      // point-level filters remain to apply.
      var lignes = gd.layout.meta && gd.layout.meta.lignes;
      if (initial === true && !lignes && !gd.data.some(function (t) { return t.meta && t.meta.points; })) {
        // nothing to redraw, but a chart whose initial selection shows nothing says so
        marquerVide(gd, gd.data.some(dessine));
        return;
      }
      if (!ORIGINES.has(gd)) { ORIGINES.set(gd, structuredClone(gd.data)); }
      var total = 0;
      var donnees = structuredClone(ORIGINES.get(gd)).map(function (trace) {
        var resultat = filtrer(trace, selection);
        total += resultat.points;
        return resultat.trace;
      });
      var layout = Object.assign({}, gd.layout, {datarevision: (gd.layout.datarevision || 0) + 1});
      if (layout.meta && layout.meta.axe_temps) {
        var annee = selection.periode;
        layout.xaxis = Object.assign({}, layout.xaxis, /^\d{4}$/.test(annee || "")
          ? {range: [annee + "-01-01", annee + "-12-31"], autorange: false}
          : {autorange: true});
      }
      if (lignes) {
        var n = lignesVisibles(donnees, lignes.min);
        layout.height = lignes.base + lignes.ligne * n;
        // the chart's div and the one Plotly wraps it in keep the height they were written with
        gd.style.height = gd.parentElement.style.height = layout.height + "px";
        if (layout.yaxis && layout.yaxis.autorange === false) {
          layout.yaxis = Object.assign({}, layout.yaxis, {range: [n - 0.5, -0.5]});
        }
      }
      Plotly.react(gd, donnees, layout);
      marquerVide(gd, total > 0 && donnees.some(dessine));
    });
    // chart titles state the selection they show
    document.querySelectorAll(".selection[data-dims]").forEach(function (titre) {
      titre.textContent = " — " + titre.getAttribute("data-dims").split(" ").map(function (dim) {
        var s = document.querySelector("select.filtre[name=" + dim + "]");
        return s && s.selectedIndex >= 0 ? s.options[s.selectedIndex].text : "";
      }).join(" · ");
    });
    document.querySelectorAll("[data-filtrable]").forEach(function (ligne) {
      ligne.hidden = !Object.keys(selection).every(function (dim) {
        var valeurs = ligne.getAttribute("data-" + dim);
        return valeurs === null || valeurs.split(" ").indexOf(selection[dim]) >= 0;
      });
    });
  }

  document.querySelectorAll("select.filtre").forEach(function (s) {
    s.addEventListener("change", function () { appliquer(false); });
  });
  window.addEventListener("load", function () { appliquer(true); });
})();

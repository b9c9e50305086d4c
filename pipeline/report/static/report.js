// newsextract report: sortable tables, and the card of whatever highlight is hovered or focused.
// Nothing is built from strings: cards are cloned from the page's own (escaped) elements.
"use strict";

function sortTable(table, column, button) {
  const th = button.closest("th");
  const numeric = th.dataset.type === "number";
  const ascending = th.getAttribute("aria-sort") !== "ascending";
  for (const other of table.querySelectorAll("th")) other.removeAttribute("aria-sort");
  th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const key = (row) => {
    const text = row.cells[column] ? row.cells[column].textContent.trim() : "";
    return numeric ? parseFloat(text.replace(/,/g, "")) || 0 : text.toLowerCase();
  };
  rows.sort((a, b) => {
    const x = key(a), y = key(b);
    const order = numeric ? x - y : x.localeCompare(y);
    return ascending ? order : -order;
  });
  body.append(...rows);
}

function makeSortable(table) {
  table.querySelectorAll("thead th").forEach((th, column) => {
    const button = document.createElement("button");
    button.type = "button";
    button.title = `Sort by ${th.textContent.trim()}`;
    button.append(...th.childNodes);
    const arrow = document.createElement("span");
    arrow.className = "arrow";
    arrow.setAttribute("aria-hidden", "true");
    button.append(arrow);
    th.append(button);
    button.addEventListener("click", () => sortTable(table, column, button));
  });
}

const tip = () => document.getElementById("tip");

function showCards(highlight) {
  const box = tip();
  if (!box) return;
  box.replaceChildren();
  for (const ref of (highlight.dataset.refs || "").split(" ")) {
    const card = document.getElementById(ref);
    if (!card) continue;
    const copy = card.cloneNode(true);
    copy.removeAttribute("id");
    copy.querySelectorAll("[id]").forEach((el) => el.removeAttribute("id"));
    box.append(copy);
  }
  if (!box.childElementCount) return;
  box.hidden = false;
  const rect = highlight.getBoundingClientRect();
  const width = Math.min(box.offsetWidth, document.documentElement.clientWidth - 16);
  const left = Math.max(8, Math.min(rect.left, document.documentElement.clientWidth - width - 8));
  box.style.left = `${left + window.scrollX}px`;
  box.style.top = `${rect.bottom + window.scrollY + 6}px`;
}

function hideCards() {
  const box = tip();
  if (box) box.hidden = true;
}

// A link to "#q-120-180" (from a cluster page) lights every fragment of that object: the
// anchor's id is its card's id without the "obj-" prefix.
function markTarget() {
  document.querySelectorAll(".hl.targeted").forEach((el) => el.classList.remove("targeted"));
  const id = location.hash ? decodeURIComponent(location.hash.slice(1)) : "";
  const anchor = id ? document.getElementById(id) : null;
  if (!anchor || !anchor.classList.contains("anchor")) return;
  const ref = `obj-${id}`;
  document.querySelectorAll(".hl[data-refs]").forEach((el) => {
    if (el.dataset.refs.split(" ").includes(ref)) el.classList.add("targeted");
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("table.sortable").forEach(makeSortable);
  const text = document.getElementById("text");
  if (text) {
    text.addEventListener("mouseover", (event) => {
      const hl = event.target.closest(".hl[data-refs]");
      if (hl) showCards(hl);
    });
    text.addEventListener("mouseleave", hideCards);
    text.addEventListener("focusin", (event) => {
      const hl = event.target.closest(".hl[data-refs]");
      if (hl) showCards(hl);
    });
    text.addEventListener("focusout", hideCards);
    document.addEventListener("keydown", (event) => { if (event.key === "Escape") hideCards(); });
  }
  markTarget();
  window.addEventListener("hashchange", markTarget);
});

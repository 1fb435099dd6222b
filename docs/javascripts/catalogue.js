// The catalogue index: show only the rows of the chosen status, page and name (all three combine).
function jmFilter() {
  const status = document.getElementById("jm-filter-status");
  if (!status) return;
  const page = document.getElementById("jm-filter-page");
  const name = document.getElementById("jm-filter-name");
  const count = document.getElementById("jm-filter-count");
  const rows = Array.from(document.querySelectorAll("table.jm-filterable tbody tr"));
  const apply = () => {
    const words = name.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const row of rows) {
      const keep = (!status.value || row.dataset.status === status.value)
        && (!page.value || row.dataset.page === page.value)
        && words.every(w => row.dataset.name.includes(w));
      row.hidden = !keep;
      shown += keep;
    }
    count.textContent = `${shown} of ${rows.length} shown`;
  };
  for (const control of [status, page, name]) for (const event of ["input", "change"]) control.addEventListener(event, apply);
  apply();
}
if (typeof document$ !== "undefined") document$.subscribe(jmFilter);
else document.addEventListener("DOMContentLoaded", jmFilter);

// Refreshes the overview's bucket counts and diagnoses every 15 seconds without reloading the
// page. Optional: with scripts blocked, or the JSON unreachable, the page stays as served.
(function () {
  var container = document.querySelector('[data-live-source]');
  if (!container || !window.fetch) return;
  var source = container.getAttribute('data-live-source');

  function refresh() {
    fetch(source, { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (response) {
        if (!response.ok) throw new Error('overview.json answered ' + response.status);
        return response.json();
      })
      .then(function (overview) {
        overview.buckets.forEach(function (bucket) {
          var count = container.querySelector('[data-live-count="' + bucket.key + '"]');
          var diagnosis = container.querySelector('[data-live-diagnosis="' + bucket.key + '"]');
          if (count) count.textContent = String(bucket.count);
          if (diagnosis) diagnosis.textContent = bucket.diagnosis;
        });
      })
      .catch(function () {
        // A failed refresh leaves the last counts on the page; the next one tries again.
      });
  }

  setInterval(refresh, 15000);
})();

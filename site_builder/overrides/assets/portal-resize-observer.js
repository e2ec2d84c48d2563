/* A small ResizeObserver stand-in for browsers without one (older WeChat/X5 kernels).
   Material loads it from this site instead of unpkg.com. It reports an element whenever its
   size changed, checked on resize, on load and twice a second: enough for the theme's
   sticky header and sidebars, which only need to know *that* something changed. */
(function () {
  "use strict";
  if (window.ResizeObserver) return;
  var observers = [];

  function check() {
    observers.forEach(function (observer) {
      var entries = [];
      observer.targets.forEach(function (target) {
        var box = target.element.getBoundingClientRect();
        if (box.width !== target.width || box.height !== target.height) {
          target.width = box.width;
          target.height = box.height;
          entries.push({
            target: target.element,
            contentRect: { x: 0, y: 0, top: 0, left: 0, width: box.width, height: box.height },
            borderBoxSize: [{ inlineSize: box.width, blockSize: box.height }],
            contentBoxSize: [{ inlineSize: box.width, blockSize: box.height }]
          });
        }
      });
      if (entries.length) observer.callback(entries, observer);
    });
  }

  function ResizeObserver(callback) {
    this.callback = callback;
    this.targets = [];
    observers.push(this);
  }
  ResizeObserver.prototype.observe = function (element) {
    this.targets.push({ element: element, width: -1, height: -1 });
    setTimeout(check, 0);
  };
  ResizeObserver.prototype.unobserve = function (element) {
    this.targets = this.targets.filter(function (target) { return target.element !== element; });
  };
  ResizeObserver.prototype.disconnect = function () {
    this.targets = [];
  };

  window.addEventListener("resize", check);
  window.addEventListener("load", check);
  setInterval(check, 500);
  window.ResizeObserver = ResizeObserver;
})();

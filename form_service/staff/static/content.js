// Content console: "添加一项" for repeatable inputs. Without JavaScript the form already shows
// spare empty inputs, so this only adds convenience.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".repeat").forEach(function (box) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button--secondary";
    button.textContent = "添加一项";
    button.addEventListener("click", function () {
      var inputs = box.querySelectorAll("input");
      var copy = inputs[inputs.length - 1].cloneNode();
      copy.value = "";
      box.insertBefore(copy, button);
      copy.focus();
    });
    box.appendChild(button);
  });
});

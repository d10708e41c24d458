// The SMS code block (templates/notifications/_phone_code.html): ask for a code, count down before asking again,
// verify, keep the proof in the hidden input for the surrounding form and enable its [data-after-phone] buttons.
(function () {
  "use strict";
  function post(url, body) {
    return fetch(url, {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)})
      .then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (data) {
          if (!res.ok) { throw new Error((data.error && data.error.message) || "网络错误,请稍后再试"); }
          return data;
        });
      });
  }
  document.querySelectorAll(".phone-code").forEach(function (box) {
    var phone = box.querySelector("#phone-code-phone"), code = box.querySelector("#phone-code-code");
    var send = box.querySelector(".phone-code__send"), verify = box.querySelector(".phone-code__verify");
    var status = box.querySelector(".phone-code__status"), proof = box.querySelector(".phone-code__proof");
    var purpose = box.dataset.purpose, timer = null;
    function say(text, bad) { status.textContent = text; status.classList.toggle("is-bad", !!bad); }
    function countdown(seconds) {
      send.disabled = true;
      clearInterval(timer);
      timer = setInterval(function () {
        seconds -= 1;
        send.textContent = seconds > 0 ? "重发(" + seconds + "s)" : "重新获取";
        if (seconds <= 0) { clearInterval(timer); send.disabled = false; }
      }, 1000);
      send.textContent = "重发(" + seconds + "s)";
    }
    send.addEventListener("click", function () {
      send.disabled = true;
      post(box.dataset.requestUrl, {phone: phone.value, purpose: purpose}).then(function (data) {
        say("验证码已发送至 " + data.phone + "," + Math.round(data.expires_in / 60) + " 分钟内有效");
        countdown(data.resend_in);
        code.focus();
      }).catch(function (err) { say(err.message, true); send.disabled = false; });
    });
    verify.addEventListener("click", function () {
      verify.disabled = true;
      post(box.dataset.verifyUrl, {phone: phone.value, purpose: purpose, code: code.value}).then(function (data) {
        proof.value = data.proof;
        phone.readOnly = true; code.readOnly = true; send.disabled = true; clearInterval(timer);
        say("手机号已验证 ✓");
        box.classList.add("is-verified");
        var form = box.closest("form");
        if (form) { form.querySelectorAll("[data-after-phone]").forEach(function (b) { b.disabled = false; }); }
        box.dispatchEvent(new CustomEvent("phone-verified", {bubbles: true, detail: {proof: data.proof}}));
      }).catch(function (err) { say(err.message, true); verify.disabled = false; });
    });
  });
})();

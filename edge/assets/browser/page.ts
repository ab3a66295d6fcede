// Progressive enhancement of /c/:id: copy buttons and the Web Share API. The page works without it.

for (const button of document.querySelectorAll<HTMLButtonElement>("button[data-copy]")) {
  const target = document.getElementById(button.dataset.copy ?? "") as HTMLInputElement | HTMLTextAreaElement | null;
  if (!target || !navigator.clipboard) continue;
  button.hidden = false;
  const label = button.textContent;
  button.addEventListener("click", async () => {
    target.select();
    try {
      await navigator.clipboard.writeText(target.value);
      button.textContent = "Copied";
    } catch {
      button.textContent = "Press Ctrl+C to copy";
    }
    setTimeout(() => (button.textContent = label), 2000);
  });
}

const share = document.querySelector<HTMLAnchorElement>("#share");
if (share && typeof navigator.share === "function") {
  share.addEventListener("click", (event) => {
    event.preventDefault();
    navigator.share({ title: share.dataset.shareTitle, url: share.dataset.shareUrl }).catch(() => undefined);
  });
}

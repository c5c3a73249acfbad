// Browser notifications for the person's inbox: shown only while the dashboard tab is in the background, because
// in the foreground the toast already says it.
window.vibeEnsemble = {
    enableNotifications: async () => {
        if (!("Notification" in window)) {
            return "unsupported";
        }
        return Notification.permission === "granted" ? "granted" : await Notification.requestPermission();
    },
    notifyIfHidden: (title, body, url) => {
        if (!document.hidden || !("Notification" in window) || Notification.permission !== "granted") {
            return false;
        }
        const notification = new Notification(title, { body, tag: "vibe-ensemble-inbox" });
        notification.onclick = () => { window.focus(); window.location.href = url; };
        return true;
    },
};

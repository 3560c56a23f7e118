/** The notifier service: subscriptions, matching the programme to tastes, emails. Filled by the notification issue's work. */
export {};

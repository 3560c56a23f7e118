/** The analysis: the static report, and the Grafana dashboards' queries as the tests and the bench run them. */
export * from './report/generate-report';
export * from './report/report.model';
export * from './report/report.service';
export * from './grafana/dashboard-queries';

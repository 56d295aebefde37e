import { DEFAULT_SIMULATOR_CONFIG, loadSimulatorConfig, SimulatorConfigError } from './sim-config';

describe('loadSimulatorConfig', () => {
  it('uses defaults for an empty environment', () => {
    expect(loadSimulatorConfig({})).toEqual(DEFAULT_SIMULATOR_CONFIG);
    expect(DEFAULT_SIMULATOR_CONFIG).toMatchObject({
      port: 8090,
      host: '127.0.0.1',
      poolSize: 200,
      namePrefix: 'lab-demo-',
      cspToken: 'dev-csp-token',
    });
  });

  it('reads every variable', () => {
    const config = loadSimulatorConfig({
      SIM_PORT: '9000',
      SIM_POOL_SIZE: '5',
      SIM_NAME_PREFIX: 'x-',
      SIM_CSP_TOKEN: 't',
      SIM_DELETE_DELAY_MS: '250',
      SIM_LIST_PAGING: 'bare',
      SIM_NOISE_ACCOUNTS: 'false',
      SIM_FAULTS: '[{"operation":"delete","status":500,"probability":0.1}]',
    });
    expect(config).toMatchObject({
      port: 9000,
      poolSize: 5,
      namePrefix: 'x-',
      cspToken: 't',
      deleteDelayMs: 250,
      listPaging: 'bare',
      withNoise: false,
      faults: [{ operation: 'delete', status: 500, probability: 0.1 }],
    });
  });

  it('reports every problem at once, naming the variable', () => {
    let error: unknown;
    try {
      loadSimulatorConfig({
        SIM_PORT: 'http',
        SIM_POOL_SIZE: '-1',
        SIM_LIST_PAGING: 'pages',
        SIM_FAULTS: '[{"status": 1}]',
        SIM_CSP_TOKEN: ' ',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SimulatorConfigError);
    const problems = (error as SimulatorConfigError).problems.join('\n');
    expect(problems).toMatch(/SIM_PORT must be an integer/);
    expect(problems).toMatch(/SIM_POOL_SIZE/);
    expect(problems).toMatch(/SIM_LIST_PAGING/);
    expect(problems).toMatch(/SIM_FAULTS: faults\[0\]: fault.status/);
    expect(problems).toMatch(/SIM_CSP_TOKEN must not be empty/);
  });

  it('explains invalid SIM_FAULTS JSON', () => {
    expect(() => loadSimulatorConfig({ SIM_FAULTS: '[{' })).toThrow(/SIM_FAULTS: not valid JSON/);
  });
});

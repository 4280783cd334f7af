import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ConnectorConfigError } from '../errors/errors';
import { parseConnectorConfig } from './parse-connector-config';

const REQUIRED = 'owner and token are required';
const schema = v.strictObject({
  owner: v.pipe(v.string(REQUIRED), v.nonEmpty(REQUIRED)),
  token: v.pipe(v.string(REQUIRED), v.nonEmpty(REQUIRED)),
  maxPages: v.optional(v.number('maxPages must be a number')),
});

function thrown(run: () => unknown): ConnectorConfigError {
  try {
    run();
  } catch (error) {
    if (ConnectorConfigError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a ConnectorConfigError');
}

describe('parseConnectorConfig', () => {
  it('names every bad field without aloneMessage', () => {
    const error = thrown(() =>
      parseConnectorConfig('acme', schema, { owner: '', token: 'x', maxPages: 'a' }),
    );
    expect(error.message).toBe(
      `Invalid config for connector "acme": owner: ${REQUIRED}; maxPages: maxPages must be a number`,
    );
    expect(error.issues).toHaveLength(2);
  });

  it('throws aloneMessage alone when an issue carries it', () => {
    const error = thrown(() =>
      parseConnectorConfig(
        'acme',
        schema,
        { owner: '', token: 'x', maxPages: 'a' },
        { aloneMessage: REQUIRED },
      ),
    );
    expect(error.message).toBe(REQUIRED);
    expect(error.issues).toEqual([]);
  });

  it('names the fields when no issue carries aloneMessage', () => {
    const error = thrown(() =>
      parseConnectorConfig(
        'acme',
        schema,
        { owner: 'o', token: 'x', maxPages: 'a' },
        { aloneMessage: REQUIRED },
      ),
    );
    expect(error.message).toBe('Invalid config for connector "acme": maxPages: maxPages must be a number');
  });

  it('returns the validated config', () => {
    expect(
      parseConnectorConfig('acme', schema, { owner: 'o', token: 't' }, { aloneMessage: REQUIRED }),
    ).toEqual({
      owner: 'o',
      token: 't',
    });
  });
});

import { inWords, labelOf, problemsInWords } from './field-words';

describe('messages in the user’s words', () => {
  it('should name the label and say what would be right when a validator names the field', () => {
    expect(inWords('url', 'url contains spaces')).toBe(
      'Resource link URL contains spaces. Enter the tool’s launch URL (https; http only on this machine: localhost or 127.0.0.1), e.g. https://tool.example.com/launch.',
    );
  });

  it('should replace internal names inside the message when a service names other fields', () => {
    expect(inWords('jwksUrl', 'Give either jwksUrl or publicKeyPem, not both')).toBe(
      'Give either Tool JWKS URL or Tool public key (PEM), not both. Enter the URL of the tool’s public keys (https; http only on this machine: localhost or 127.0.0.1), e.g. https://tool.example.com/jwks, or paste its public key instead.',
    );
  });

  it('should keep English words that are also field names when they are not camelCase', () => {
    expect(inWords('customParameters', 'Line 3: the name is empty')).toMatch(
      /^Custom parameters: Line 3: the name is empty\. Enter one name=value per line/,
    );
  });

  it('should word an unregistered field from its name when it has no label of its own', () => {
    expect(labelOf('lineItemId')).toBe('Line item');
    expect(labelOf('others.1.street')).toBe('Street');
    expect(labelOf('redirectUris.0')).toBe('Redirect URIs');
  });

  it('should keep the field keys and be stable when applied twice', () => {
    const once = problemsInWords([{ field: 'consumerKey', message: 'consumerKey is required for LTI 1.1' }]);
    expect(once).toEqual([
      {
        field: 'consumerKey',
        message: 'LTI key is required for LTI 1.1. Enter the LTI key (consumer key) the tool vendor gave you.',
      },
    ]);
    expect(problemsInWords(once)).toEqual(once);
  });

  it('should leave a problem as it is when it names no field', () => {
    const whole = {
      field: undefined as unknown as string,
      message: 'an unknown value was passed to the validate function',
    };
    expect(problemsInWords([whole])).toEqual([whole]);
  });

  it('should keep a sentence of its own as it is when its field has no advice to add', () => {
    expect(inWords('file', 'The file has no rows to import')).toBe('The file has no rows to import');
  });

  it('should keep a problem of an uploaded file’s line as it is when it names the file’s column', () => {
    const onLine = { field: 'sharedSecret', message: 'sharedSecret is masked', line: 2 };
    expect(problemsInWords([onLine])).toEqual([onLine]);
  });
});

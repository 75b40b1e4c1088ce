import { Lti1p1LaunchInput, lti1p1LaunchParams } from './lti1p1-launch';

const input: Lti1p1LaunchInput = {
  resourceLink: { id: 'rl-1', title: 'Lab 1', description: null },
  userId: 'user-1',
  roles: ['Learner'],
  person: {
    fullName: 'Ada Lovelace',
    givenName: 'Ada',
    familyName: 'Lovelace',
    email: 'ada@example.com',
    sourcedId: 'SIS-1',
    username: 'ada',
  },
  context: { id: 'class-1', label: 'PY101', title: 'Python — Spring', type: 'CourseSection' },
  customParameters: [
    { name: 'Complex!@#$^*(){}[]KEY', value: 'Complex!@#$^*;(){}[]½Value' },
    { name: 'who', value: '$User.id' },
    { name: 'mail', value: '$Person.email.primary' },
    { name: 'section', value: '$CourseSection.sourcedId' },
    { name: 'offering', value: '$CourseOffering.sourcedId' },
    { name: 'unknown', value: '$Canvas.user.id' },
    { name: 'literal', value: 'User.id' },
  ],
  presentation: {
    documentTarget: 'iframe',
    width: 800,
    height: null,
    locale: 'en-US',
    returnUrl: 'https://tms.test/r',
  },
  toolConsumer: { instanceGuid: 'tms.test', instanceName: 'TMS', productFamilyCode: 'tms', version: '1.0' },
  outcome: { serviceUrl: 'https://tms.test/lti/1p1/outcomes', sourcedId: 'sourced' },
};

describe('lti1p1LaunchParams', () => {
  it('should send every required and recommended parameter of a basic launch', () => {
    expect(lti1p1LaunchParams(input)).toMatchObject({
      lti_message_type: 'basic-lti-launch-request',
      lti_version: 'LTI-1p0',
      resource_link_id: 'rl-1',
      resource_link_title: 'Lab 1',
      user_id: 'user-1',
      roles: 'Learner',
      lis_person_name_full: 'Ada Lovelace',
      lis_person_contact_email_primary: 'ada@example.com',
      lis_person_sourcedid: 'SIS-1',
      context_id: 'class-1',
      context_type: 'CourseSection',
      context_label: 'PY101',
      context_title: 'Python — Spring',
      launch_presentation_document_target: 'iframe',
      launch_presentation_width: '800',
      launch_presentation_locale: 'en-US',
      launch_presentation_return_url: 'https://tms.test/r',
      tool_consumer_instance_guid: 'tms.test',
      tool_consumer_info_product_family_code: 'tms',
      tool_consumer_info_version: '1.0',
      lis_outcome_service_url: 'https://tms.test/lti/1p1/outcomes',
      lis_result_sourcedid: 'sourced',
      ext_outcome_data_values_accepted: 'text,url,lti_launch_url',
    });
  });

  it('should mangle custom names, keep values and substitute only known variables with values', () => {
    const params = lti1p1LaunchParams(input);
    expect(params['custom_complex____________key']).toBe('Complex!@#$^*;(){}[]½Value');
    expect(params.custom_who).toBe('user-1');
    expect(params.custom_mail).toBe('ada@example.com');
    expect(params.custom_section).toBe('class-1');
    expect(params.custom_offering).toBe('$CourseOffering.sourcedId');
    expect(params.custom_unknown).toBe('$Canvas.user.id');
    expect(params.custom_literal).toBe('User.id');
  });

  it('should send no person field, and leave person variables unsubstituted, when privacy withholds them', () => {
    const anonymous = {
      ...input,
      person: { fullName: null, givenName: null, familyName: null, email: null, sourcedId: null, username: null },
    };
    const params = lti1p1LaunchParams(anonymous);
    expect(Object.keys(params).filter((name) => name.startsWith('lis_person'))).toEqual([]);
    expect(params.custom_mail).toBe('$Person.email.primary');
    expect(params.launch_presentation_height).toBeUndefined();
  });

  it('should send no outcome service when the placement takes no score', () => {
    const params = lti1p1LaunchParams({ ...input, outcome: null });
    expect(params).not.toHaveProperty('lis_outcome_service_url');
    expect(params).not.toHaveProperty('lis_result_sourcedid');
    expect(params).not.toHaveProperty('ext_outcome_data_values_accepted');
  });
});

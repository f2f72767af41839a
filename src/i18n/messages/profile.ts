/** Profile picture upload and the date-of-birth control on the account page. */
const en = {
  'profile.picture.heading': 'Profile picture',
  'profile.picture.alt': 'Your profile picture',
  'profile.picture.none': 'No picture yet. Apps show their default picture.',
  'profile.picture.choose': 'Choose a picture',
  'profile.picture.hint':
    'A JPEG, PNG or WebP photo up to 5 MB (HEIC photos cannot be read yet). Location and camera details in the photo are removed.',
  'profile.picture.upload': 'Upload picture',
  'profile.picture.remove': 'Remove picture',
  'profile.picture.updated': 'Your profile picture is changed.',
  'profile.picture.removed': 'Your profile picture is removed.',
  'profile.picture.missing': 'Choose a picture first.',
  'profile.picture.too_large': 'This file is larger than {max}. Choose a smaller picture.',
  'profile.picture.not_image':
    'This file cannot be read as a JPEG, PNG or WebP picture. It may be damaged, or not a picture.',
  'profile.picture.heic': 'HEIC photos cannot be read yet; choose a JPEG, PNG or WebP photo.',
  'profile.picture.too_many_pixels':
    'This picture has too many pixels (over 50 megapixels). Choose a smaller one.',
  'profile.birth_date.label': 'Date of birth',
  'profile.birth_date.hint': 'Apps receive it only when you agree.',
  'profile.birth_date.invalid': 'Enter a date that exists, e.g. 1994-09-15.',
  'profile.birth_date.future': 'A date of birth cannot be in the future.',
  'profile.birthyear_private.label': 'Keep my birth year private',
  'profile.birthyear_private.hint': 'Only the month and day are saved; the year you pick above is not kept.',
};

const ko: Record<keyof typeof en, string> = {
  'profile.picture.heading': '프로필 사진',
  'profile.picture.alt': '내 프로필 사진',
  'profile.picture.none': '아직 사진이 없습니다. 앱에는 기본 사진이 표시됩니다.',
  'profile.picture.choose': '사진 선택',
  'profile.picture.hint':
    'JPEG, PNG, WebP 사진을 5MB까지 올릴 수 있습니다(HEIC 사진은 아직 읽을 수 없습니다). 사진에 담긴 위치와 카메라 정보는 삭제됩니다.',
  'profile.picture.upload': '사진 올리기',
  'profile.picture.remove': '사진 삭제',
  'profile.picture.updated': '프로필 사진이 변경되었습니다.',
  'profile.picture.removed': '프로필 사진이 삭제되었습니다.',
  'profile.picture.missing': '먼저 사진을 선택해 주세요.',
  'profile.picture.too_large': '{max}보다 큰 파일입니다. 더 작은 사진을 선택해 주세요.',
  'profile.picture.not_image':
    '이 파일은 JPEG, PNG, WebP 사진으로 읽을 수 없습니다. 파일이 손상되었거나 사진이 아닐 수 있습니다.',
  'profile.picture.heic': 'HEIC 사진은 아직 읽을 수 없습니다. JPEG, PNG, WebP 사진을 선택해 주세요.',
  'profile.picture.too_many_pixels':
    '사진의 해상도가 너무 높습니다(5천만 화소 초과). 더 작은 사진을 선택해 주세요.',
  'profile.birth_date.label': '생년월일',
  'profile.birth_date.hint': '동의한 앱에만 제공됩니다.',
  'profile.birth_date.invalid': '실제로 있는 날짜를 입력해 주세요. 예: 1994-09-15',
  'profile.birth_date.future': '생년월일은 오늘 이후 날짜일 수 없습니다.',
  'profile.birthyear_private.label': '출생 연도는 저장하지 않기',
  'profile.birthyear_private.hint': '월과 일만 저장됩니다. 위에서 고른 연도는 저장되지 않습니다.',
};

export default { en, ko };
